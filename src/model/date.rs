//! Calendar dates as clerks write them: `2025-03-17` or `2025年3月17日`.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_yaml::Value;

use crate::yaml::{FromYaml, ToYaml, ValueError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(NaiveDate);

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(year, month, day).map(Date)
    }

    pub fn today() -> Self {
        Date(chrono::Local::now().date_naive())
    }

    pub fn naive(self) -> NaiveDate {
        self.0
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }

    /// `2025年3月17日`, the form used in Chinese official documents.
    pub fn chinese(self) -> String {
        format!("{}年{}月{}日", self.0.year(), self.0.month(), self.0.day())
    }

    /// Parses either accepted form; the error says what is wrong in Chinese.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let text: String = text
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                c => c,
            })
            .collect();
        let parts = split_date(&text).ok_or_else(|| ValueError::Invalid {
            message: format!("不是可识别的日期：“{text}”"),
            hint: Some(match loose_parts(&text) {
                Some((y, m, d)) => format!("请写成 {y:04}-{m:02}-{d:02} 或 {y}年{m}月{d}日"),
                None => "请写成 2025-03-17 或 2025年3月17日".into(),
            }),
        })?;
        let (year, month, day) = parts;
        if !(1..=12).contains(&month) {
            return Err(ValueError::Invalid {
                message: format!("的月份 {month} 不存在：“{text}”"),
                hint: Some("月份应在 1 到 12 之间".into()),
            });
        }
        Date::new(year, month, day).ok_or_else(|| ValueError::Invalid {
            message: format!("的日期不存在：{year}年{month}月没有{day}日"),
            hint: Some(format!(
                "{year}年{month}月共有{}天",
                days_in_month(year, month)
            )),
        })
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|&day| NaiveDate::from_ymd_opt(year, month, day).is_some())
        .unwrap_or(28)
}

/// `YYYY-M-D` or `YYYY年M月D日`, with one- or two-digit month and day.
fn split_date(text: &str) -> Option<(i32, u32, u32)> {
    let numbers: Vec<&str> = if let Some(rest) = text.strip_suffix('日') {
        let (year, rest) = rest.split_once('年')?;
        let (month, day) = rest.split_once('月')?;
        vec![year, month, day]
    } else {
        text.split('-').collect()
    };
    let [year, month, day] = numbers.as_slice() else {
        return None;
    };
    let digits = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(year, 4, 4) || !digits(month, 1, 2) || !digits(day, 1, 2) {
        return None;
    }
    Some((year.parse().ok()?, month.parse().ok()?, day.parse().ok()?))
}

/// Reads `2025.3.17`, `2025/3/17` and the like, only to suggest the right form.
fn loose_parts(text: &str) -> Option<(i32, u32, u32)> {
    let numbers: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .collect();
    let [year, month, day] = numbers.as_slice() else {
        return None;
    };
    (year.len() == 4).then_some(())?;
    Some((year.parse().ok()?, month.parse().ok()?, day.parse().ok()?))
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Written out rather than through chrono's format strings, which
        // parse the pattern for every date: a ledger prints tens of thousands.
        use chrono::Datelike;
        let date = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}",
            date.year(),
            date.month(),
            date.day()
        )
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Read back from what [`Serialize`] writes (the parse cache keeps front matter).
impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Date::parse(&text).map_err(|_| serde::de::Error::custom(format!("not a date: {text}")))
    }
}

impl ToYaml for Date {
    fn to_yaml(&self) -> String {
        self.to_string()
    }
}

impl FromYaml for Date {
    fn from_yaml(value: &Value) -> Result<Self, ValueError> {
        match value {
            Value::String(text) => Date::parse(text),
            _ => Err(ValueError::WrongType {
                expected: "日期（如 2025-03-17 或 2025年3月17日）",
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(text: &str) -> String {
        match Date::parse(text) {
            Err(ValueError::Invalid { message, hint }) => format!("{message} {hint:?}"),
            other => panic!("{text} should not parse: {other:?}"),
        }
    }

    #[test]
    fn both_written_forms_give_the_same_date() {
        let expected = Date::new(2025, 3, 17);
        assert_eq!(Date::parse("2025-03-17").ok(), expected);
        assert_eq!(Date::parse("2025年3月17日").ok(), expected);
        assert_eq!(Date::parse("２０２５年３月１７日").ok(), expected);
        assert_eq!(Date::parse("2025-3-17").ok(), expected);
    }

    #[test]
    fn impossible_dates_say_why() {
        assert!(message("2025-02-30").contains("2025年2月没有30日"));
        assert!(message("2024-02-30").contains("共有29天"));
        assert!(message("2025-13-01").contains("月份 13"));
    }

    #[test]
    fn other_separators_get_the_right_form_suggested() {
        assert!(message("2025.3.17").contains("2025-03-17"));
        assert!(message("下个月").contains("2025-03-17 或 2025年3月17日"));
    }

    #[test]
    fn shows_in_both_forms() {
        let date = Date::new(2025, 3, 7).expect("valid");
        assert_eq!(date.to_string(), "2025-03-07");
        assert_eq!(date.chinese(), "2025年3月7日");
    }
}
